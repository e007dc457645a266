import type { ZApp } from '../../http/app.ts';
import type { AppContext } from '../../http/context.ts';

export function registerCompaniesRoutes(_app: ZApp, _ctx: AppContext): void {}
