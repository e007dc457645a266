import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect over PGlite (decision 0002: kysely-pglite pulls a CLI tool chain we don't need).
 *
 * PGlite is one connection. Kysely connections are handed out one at a time (a queue), and a
 * Kysely transaction runs inside `pglite.transaction()`, which holds PGlite's exclusive lock: any
 * other user of the same PGlite (pg-boss's adapter) waits until COMMIT instead of slipping its
 * statements into our transaction.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature takes Kysely<any>
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly pglite: PGlite;
  tx: Transaction | undefined;
  finishTx: ((commit: boolean) => void) | undefined;
  txDone: Promise<void> | undefined;
  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const runner = this.tx ?? this.pglite;
    const result = await runner.query<R>(compiled.sql, [...compiled.parameters], { rowMode: 'object' });
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported by PGlite; fail loudly
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries; page with keyset pagination instead');
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
    this.#connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PGliteConnection;
    await new Promise<void>((started, failed) => {
      conn.txDone = this.#pglite
        .transaction(async (tx) => {
          conn.tx = tx;
          const commit = await new Promise<boolean>((finish) => {
            conn.finishTx = finish;
            started();
          });
          if (!commit) await tx.rollback();
        })
        .then(
          () => undefined,
          (err: unknown) => {
            failed(err);
            throw err;
          },
        );
    });
  }
  async #finish(connection: DatabaseConnection, commit: boolean): Promise<void> {
    const conn = connection as PGliteConnection;
    conn.finishTx?.(commit);
    const done = conn.txDone;
    conn.tx = undefined;
    conn.finishTx = undefined;
    conn.txDone = undefined;
    await done;
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#finish(connection, true);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#finish(connection, false);
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async destroy(): Promise<void> {
    // The owner of the PGlite instance closes it (the db client), so pg-boss can finish first.
  }
}
