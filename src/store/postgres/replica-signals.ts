/**
 * LISTEN on a connection of its own for the notifications migration 6's triggers send at
 * commit: `nospy_checkpoint` (a new signed checkpoint) and `nospy_submissions` (entries queued
 * for the sequencer). Best effort: a lost connection is reopened after a pause, and the replicas
 * poll meanwhile, so a notification missed only delays.
 * https://www.postgresql.org/docs/current/sql-notify.html
 */
import pg from 'pg';
import type { ReplicaEvent, ReplicaSignalsPort } from '../../log/replica/replica-ports.js';

const RECONNECT_MS = 1_000;

const CHANNELS: Readonly<Record<string, ReplicaEvent>> = {
  nospy_checkpoint: 'checkpoint',
  nospy_submissions: 'submissions',
};

export class PostgresReplicaSignals implements ReplicaSignalsPort {
  readonly #url: string;
  readonly #listeners: ((event: ReplicaEvent) => void)[] = [];
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string) {
    this.#url = url;
    this.#open();
  }

  on(listener: (event: ReplicaEvent) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #open(): void {
    if (this.#closed) return;
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: 'nospy replica signals',
      keepAlive: true,
    });
    const retry = (): void => {
      if (this.#client !== client) return;
      this.#client = undefined;
      client.end().catch(() => undefined);
      if (!this.#closed) {
        this.#timer = setTimeout(() => {
          this.#open();
        }, RECONNECT_MS);
      }
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      const event = CHANNELS[message.channel];
      if (event !== undefined) for (const listener of this.#listeners) listener(event);
    });
    this.#client = client;
    client
      .connect()
      .then(() => client.query('LISTEN nospy_checkpoint; LISTEN nospy_submissions'))
      .catch(retry);
  }
}
