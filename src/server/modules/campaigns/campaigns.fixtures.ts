import { expect } from 'vitest';
import type { TestUser } from '../../../../test/api.ts';
import type { CampaignDto } from '../../../contracts/campaigns.ts';

/** Test helpers for the campaigns suites (not a test file itself). */
export async function newCampaign(user: TestUser, body: Record<string, unknown>): Promise<CampaignDto> {
  const res = await user.api.post<CampaignDto>('/api/campaigns', {
    name: 'Hannover Messe',
    channel: 'trade_show',
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
