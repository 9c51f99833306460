/** The docs page's inline stylesheet. */
export const DOCS_CSS = `
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; background: #f5f7fa; }
main { max-width: 1100px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { margin-bottom: 4px; }
section.operation { background: #fff; border: 1px solid #d9e2ec; border-radius: 8px; padding: 4px 18px 14px; margin: 16px 0; }
section.operation h2 { font-size: 18px; }
.method { display: inline-block; min-width: 56px; text-align: center; border-radius: 4px; color: #fff; font-size: 13px; padding: 2px 6px; background: #1565c0; }
.method.post { background: #2e7d32; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
caption { text-align: left; font-weight: 600; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #d9e2ec; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px; overflow-x: auto; }
a { color: #0b57d0; }
`;
