import type { Me } from '../../contracts/workspaces.ts';

/** The same rules as the server's named policies; the UI only hides what the server would refuse. */
export type Role = Me['user']['role'];

export const isAdmin = (role: Role): boolean => role === 'admin';
export const canWriteRecords = (role: Role): boolean => role !== 'service';
export const canManageCustomFields = (role: Role): boolean => role === 'admin' || role === 'marketing';
export const canAssignToOthers = (role: Role): boolean =>
  role === 'admin' || role === 'sales_manager' || role === 'marketing';
/** Bulk imports change many records at once: admins, marketing and sales managers. */
export const canImport = (role: Role): boolean =>
  role === 'admin' || role === 'marketing' || role === 'sales_manager';
/** Web forms: everyone reads them; admins and marketing build them and read what visitors sent. */
export const canManageForms = (role: Role): boolean => role === 'admin' || role === 'marketing';
export const canReadFormSubmissions = canManageForms;
/** Products and price lists: admins and sales managers edit; everyone reads. */
export const canManageCatalog = (role: Role): boolean => role === 'admin' || role === 'sales_manager';
/** Quotes: the sales roles and admins write them; sales managers decide on discounts. */
export const canWriteQuotes = (role: Role): boolean =>
  role === 'admin' || role === 'sales_manager' || role === 'sales_rep';
export const canApproveQuotes = (role: Role): boolean => role === 'sales_manager';
/** Campaigns: everyone reads them and the calendar; admins and marketing plan them. */
export const canManageCampaigns = (role: Role): boolean => role === 'admin' || role === 'marketing';
/** Segments: everyone reads them; admins, marketing and sales managers define them. */
export const canManageSegments = (role: Role): boolean =>
  role === 'admin' || role === 'marketing' || role === 'sales_manager';
/** Freezing a segment snapshot for a send: admins and marketing (as the server's policy). */
export const canSnapshotSegments = (role: Role): boolean => role === 'admin' || role === 'marketing';
export const canManageContent = (role: Role): boolean => role === 'admin' || role === 'marketing';
/** Tracked share links: everyone who works records (not the service role). */
export const canShareContent = (role: Role): boolean => role !== 'service';

/** Routing rules, teams' reps and lead settings (the server's canManageRouting). */
export const canManageRouting = (role: Role): boolean => role === 'admin' || role === 'sales_manager';
/** Playbooks shape both sides' work (the server's canManagePlaybooks). */
export const canManagePlaybooks = (role: Role): boolean =>
  role === 'admin' || role === 'marketing' || role === 'sales_manager';
/** Planning: the flywheel planner for admins, marketing and sales managers (as the server). */
export const canUsePlanner = (role: Role): boolean =>
  role === 'admin' || role === 'marketing' || role === 'sales_manager';
/** Quotas, attainment and the multi-year plan: everyone but `service` reads them. */
export const canReadPlanning = (role: Role): boolean => role !== 'service';
/** Editing and approving quotas: sales managers and admins. */
export const canApproveQuotas = (role: Role): boolean => role === 'admin' || role === 'sales_manager';
/** The multi-year plan: marketing (the 3–5 year strategy), sales managers and admins edit it. */
export const canEditPlan = canUsePlanner;

/** Reports add up the whole workspace: admins, marketing and sales managers (as the server). */
export const canReadReports = (role: Role): boolean =>
  role === 'admin' || role === 'marketing' || role === 'sales_manager';
