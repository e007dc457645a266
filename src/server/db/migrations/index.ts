import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_touches.ts';
import * as m0003 from './0003_imports.ts';
import * as m0004 from './0004_forms.ts';
import * as m0005 from './0005_campaigns.ts';
import * as m0010 from './0010_segments.ts';
import * as m0011 from './0011_content.ts';
import * as m0015 from './0015_scoring.ts';
import * as m0020 from './0020_lifecycle.ts';
import * as m0021 from './0021_routing.ts';
import * as m0022 from './0022_lead_scores.ts';
import * as m0025 from './0025_deals.ts';
import * as m0030 from './0030_products.ts';
import * as m0031 from './0031_quotes.ts';
import * as m0035 from './0035_import_deals.ts';
import * as m0045 from './0045_routing_admin.ts';
import * as m0050 from './0050_segment_counts.ts';
import * as m0055 from './0055_reports.ts';
import * as m0056 from './0056_report_funnel_rollup.ts';
import * as m0060 from './0060_planning.ts';
import * as m0061 from './0061_team_quotas.ts';
import * as m0065 from './0065_contact_scores.ts';
import * as m0066 from './0066_funnel_refresh_plans.ts';
import * as m0067 from './0067_report_deal_touches.ts';
import * as m0070 from './0070_forecast_rollup.ts';
import * as m0073 from './0073_funnel_bulk_inserts.ts';
import * as m0074 from './0074_funnel_deltas.ts';
import * as m0075 from './0075_contacts_hot_touches.ts';

/**
 * Every migration, in order. Forward-only: never edit a committed one, add the next number.
 * A static list (not a folder scan) so the server, CLI and tests load the same set.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_touches': m0002,
  '0003_imports': m0003,
  '0004_forms': m0004,
  '0005_campaigns': m0005,
  '0010_segments': m0010,
  '0011_content': m0011,
  '0015_scoring': m0015,
  '0020_lifecycle': m0020,
  '0021_routing': m0021,
  '0022_lead_scores': m0022,
  '0025_deals': m0025,
  '0030_products': m0030,
  '0031_quotes': m0031,
  '0035_import_deals': m0035,
  '0045_routing_admin': m0045,
  '0050_segment_counts': m0050,
  '0055_reports': m0055,
  '0056_report_funnel_rollup': m0056,
  '0060_planning': m0060,
  '0061_team_quotas': m0061,
  '0065_contact_scores': m0065,
  '0066_funnel_refresh_plans': m0066,
  '0067_report_deal_touches': m0067,
  '0070_forecast_rollup': m0070,
  '0073_funnel_bulk_inserts': m0073,
  '0074_funnel_deltas': m0074,
  '0075_contacts_hot_touches': m0075,
};
