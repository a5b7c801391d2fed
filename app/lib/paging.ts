/** Page sizes shared by loaders and components. */
export const UNITS_PAGE_SIZE = 20;
export const AUDIT_PAGE_SIZE = 50;
