/** The dashboard: data loading from the report store, and server-rendered pages with inline SVG charts. */
export { type DashboardData, loadDashboard } from './data';
export { EmptyDashboardPage } from './empty-page';
export { DashboardPage } from './page';
