// dynalite and s3rver ship no types, nor does date-holidays' data; these are the parts Frist uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    /** A folder for LevelDB; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

// dynalite's table store: the part local/dynalite-index-writes.ts replaces and calls.
declare module 'dynalite/db/index.js' {
  type Callback = (error?: unknown) => void;
  interface IndexDb {
    put(key: string, item: unknown, cb: Callback): void;
    del(key: string, cb: Callback): void;
  }
  interface Store {
    getIndexDb(indexType: 'Local' | 'Global', tableName: string, indexName: string): IndexDb;
  }
  interface Table {
    TableName: string;
    LocalSecondaryIndexes?: unknown[];
    GlobalSecondaryIndexes?: unknown[];
  }
  interface IndexAction {
    index: string;
    key: string;
    item?: unknown;
  }
  type Item = Record<string, unknown>;
  const db: {
    updateIndexes: (store: Store, table: Table, existingItem: Item | null | undefined, item: Item | null | undefined, cb: Callback) => void;
    getIndexActions(
      indexes: unknown[],
      existingItem: Item | null | undefined,
      item: Item | null | undefined,
      table: Table,
    ): { puts: IndexAction[]; deletes: IndexAction[] };
  };
  export default db;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

declare module 'date-holidays/data' {
  /** Every country's holiday rules, and the holiday names they share. */
  export const data: { version: string; license: string; holidays: Record<string, unknown>; names: Record<string, unknown> };
}
