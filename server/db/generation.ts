// Whether anything in the database changed: the cheap question every cached response asks.
// SQLite answers it without reading a table: total_changes() counts the rows this connection
// wrote, and PRAGMA data_version moves whenever another connection (another worker process,
// the command line) committed. One prepared statement, about 3 µs: far less than a query.
import type Database from 'better-sqlite3';
import { preparedPerDatabase, type Db } from './client.ts';

export class DataGeneration {
  private readonly statement: Database.Statement<[], [number, number]>;
  private changes = -1;
  private version = -1;
  private value = 0;

  constructor(private readonly client: Database.Database) {
    this.statement = client.prepare<[], [number, number]>('SELECT total_changes(), data_version FROM pragma_data_version').raw();
  }

  /**
   * A number that moves whenever anything in the database changed since it was last asked,
   * or null inside a transaction: what is read there may still be rolled back, and a rollback
   * does not move the counters back, so nothing read there may be kept.
   */
  current(): number | null {
    if (this.client.inTransaction) return null;
    const [changes, version] = this.statement.get()!;
    if (changes !== this.changes || version !== this.version) {
      this.changes = changes;
      this.version = version;
      this.value += 1;
    }
    return this.value;
  }
}

/** The generation of a database, one per connection. */
export const dataGeneration = preparedPerDatabase((db: Db) => new DataGeneration(db.$client));

/**
 * Values derived from the database that hold until it changes: `get` computes a value once per
 * generation (and not at all inside a transaction, where it is computed afresh each time).
 */
export class GenerationMemo<K, V> {
  private readonly values = new Map<K, V>();
  private generation: number | null = null;

  constructor(private readonly db: Db, private readonly max = 10_000) {}

  get(key: K, compute: () => V): V {
    const now = dataGeneration(this.db).current();
    if (now === null) return compute();
    if (now !== this.generation) {
      this.values.clear();
      this.generation = now;
    }
    if (this.values.has(key)) return this.values.get(key)!;
    const value = compute();
    // Keys come from addresses: never more than a bound of them.
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
