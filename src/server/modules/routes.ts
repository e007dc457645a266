import type { ZApp } from '../http/app.ts';
import type { AppContext } from '../http/context.ts';
import { registerJobsRoutes } from '../jobs/jobs.routes.ts';
import { registerCampaignsRoutes } from './campaigns/campaigns.routes.ts';
import { registerCaptureRoutes } from './capture/capture.routes.ts';
import { registerCompaniesRoutes } from './companies/companies.routes.ts';
import { registerContactsRoutes } from './contacts/contacts.routes.ts';
import { registerContentRoutes } from './content/content.routes.ts';
import { registerCustomFieldsRoutes } from './customfields/customfields.routes.ts';
import { registerDealsRoutes } from './deals/deals.routes.ts';
import { registerFeedbackRoutes } from './feedback/feedback.routes.ts';
import { registerFormsRoutes } from './forms/forms.routes.ts';
import { registerGovernanceRoutes } from './governance/governance.routes.ts';
import { registerLifecycleRoutes } from './lifecycle/lifecycle.routes.ts';
import { registerNotificationsRoutes } from './notifications/notifications.routes.ts';
import { registerPlanningRoutes } from './planning/planning.routes.ts';
import { registerQuotesRoutes } from './quotes/quotes.routes.ts';
import { registerReportsRoutes } from './reports/reports.routes.ts';
import { registerScoringRoutes } from './scoring/scoring.routes.ts';
import { registerSegmentsRoutes } from './segments/segments.routes.ts';
import { registerSystemRoutes } from './system.routes.ts';
import { registerTouchesRoutes } from './touches/touches.routes.ts';
import { registerWorkspacesRoutes } from './workspaces/workspaces.routes.ts';

/** Every module's routes, in one list. */
export async function registerModuleRoutes(app: ZApp, ctx: AppContext): Promise<void> {
  registerSystemRoutes(app, ctx);
  registerWorkspacesRoutes(app, ctx);
  registerGovernanceRoutes(app, ctx);
  registerContactsRoutes(app, ctx);
  registerCompaniesRoutes(app, ctx);
  registerCustomFieldsRoutes(app, ctx);
  registerTouchesRoutes(app, ctx);
  await registerCaptureRoutes(app, ctx);
  registerJobsRoutes(app, ctx);
  await registerFormsRoutes(app, ctx);
  registerScoringRoutes(app, ctx);
  registerLifecycleRoutes(app, ctx);
  registerSegmentsRoutes(app, ctx);
  registerContentRoutes(app, ctx);
  registerDealsRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerCampaignsRoutes(app, ctx);
  registerNotificationsRoutes(app, ctx);
  await registerQuotesRoutes(app, ctx);
  registerReportsRoutes(app, ctx);
  registerPlanningRoutes(app, ctx);
}
