/**
 * Test helper: the dependency graph CloudFormation builds from a template (Ref, Fn::GetAtt,
 * Fn::Sub references and DependsOn between resources), and a search for a cycle in it. CDK does
 * not refuse a cycle inside one stack; CloudFormation rejects such a template only at deploy.
 */

/** A synthesized template as JSON (`Template.toJSON()`). */
export interface TemplateJson {
  Resources: Record<string, { DependsOn?: string | string[]; Properties?: unknown }>;
}

/** Each resource's logical ID to the resources it needs first. */
export function dependencies(template: TemplateJson): Map<string, Set<string>> {
  const ids = new Set(Object.keys(template.Resources));
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const needs = new Set<string>();
    const dependsOn = resource.DependsOn ?? [];
    for (const target of Array.isArray(dependsOn) ? dependsOn : [dependsOn]) needs.add(target);
    collectReferences(resource.Properties, needs);
    graph.set(id, new Set([...needs].filter((target) => ids.has(target))));
  }
  return graph;
}

/** One dependency cycle as logical IDs (the first repeated at the end), or undefined. */
export function findCycle(template: TemplateJson): string[] | undefined {
  const graph = dependencies(template);
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const onPath = path.indexOf(id);
    if (onPath >= 0) return [...path.slice(onPath), id];
    if (done.has(id)) return undefined;
    path.push(id);
    for (const next of graph.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(id);
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') into.add(inner);
    else if (key === 'Fn::GetAtt' && Array.isArray(inner)) into.add(String(inner[0]));
    else if (key === 'Fn::Sub') subReferences(inner, into);
    else collectReferences(inner, into);
  }
}

/** `${Name}` and `${Name.Attribute}` in a Fn::Sub string; `${!Literal}` is no reference. */
function subReferences(sub: unknown, into: Set<string>): void {
  const [text, variables] = Array.isArray(sub) ? sub : [sub, undefined];
  if (typeof text === 'string') {
    for (const match of text.matchAll(/\$\{([^!}][^}.]*)(?:\.[^}]*)?\}/g)) into.add(match[1]!);
  }
  collectReferences(variables, into);
}
