import { sql } from 'kysely';
import { touchIngest } from './capture.bench.ts';
import { adminActor, openStore } from './lib.ts';

const url = process.argv[2]!;
const rt = await openStore({
  engine: 'postgres',
  dataDir: undefined,
  databaseUrl: url,
  drop: async () => {},
});
const ws = (
  await sql<{ id: string; slug: string }>`SELECT id, slug FROM workspaces LIMIT 1`.execute(rt.ctx.db)
).rows[0]!;
const actor = await adminActor(rt, ws.id, `admin@${ws.slug}.example`);
const before = (
  await sql<{
    hot: string;
    upd: string;
  }>`SELECT n_tup_hot_upd::text AS hot, n_tup_upd::text AS upd FROM pg_stat_user_tables WHERE relname = 'contacts'`.execute(
    rt.ctx.db,
  )
).rows[0]!;
for (let i = 0; i < Number(process.argv[3] ?? 1); i++) {
  const r = await touchIngest(rt, ws.id, actor.userId, 30);
  console.log(JSON.stringify(r));
}
const after = (
  await sql<{
    hot: string;
    upd: string;
  }>`SELECT n_tup_hot_upd::text AS hot, n_tup_upd::text AS upd FROM pg_stat_user_tables WHERE relname = 'contacts'`.execute(
    rt.ctx.db,
  )
).rows[0]!;
console.log(
  'contacts updates',
  Number(after.upd) - Number(before.upd),
  'hot',
  Number(after.hot) - Number(before.hot),
);
await rt.close();
process.exit(0);
