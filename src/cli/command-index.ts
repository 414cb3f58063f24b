/**
 * Every top-level command, its one-line description and how to load it. `nospy --help` and
 * `nospy --version` read only this table; a command line loads the modules of its own command
 * and no other, so starting the CLI costs what the command needs, not what all commands need.
 * A test checks that the table matches what the registrars build, name by name and in order.
 */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';

/** Adds one concern's subcommands to the program. */
export type Registrar = (program: Command, ctx: CommandContext) => void;

export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  /** The registrars that build this command, in the order they must run. */
  load(): Promise<readonly Registrar[]>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'config',
    description: 'inspect the configuration',
    load: async () => [(await import('./commands/config.js')).registerConfigCommands],
  },
  {
    name: 'keygen',
    description:
      'write a new Ed25519 signed-note key (PRIVATE+KEY+… form, mode 0600), its verifier key to <out>.vkey, and print the verifier key',
    load: async () => [(await import('./commands/keygen.js')).registerKeygenCommands],
  },
  {
    name: 'key',
    description: "print a key's verifier keys: as a signer (Ed25519, 0x01) or as a witness (0x04)",
    load: async () => [(await import('./commands/key.js')).registerKeyCommands],
  },
  {
    name: 'serve',
    description: 'run the transparency log: tlog-tiles read API, POST /add, GET /proof/<index>',
    load: async () => [(await import('./commands/serve.js')).registerServeCommands],
  },
  {
    name: 'token',
    description: "the server's bearer tokens",
    load: async () => [(await import('./commands/token.js')).registerTokenCommands],
  },
  {
    name: 'log',
    description: 'append to a local log, or monitor a remote one',
    load: async () => [(await import('./commands/log.js')).registerLogCommands],
  },
  {
    name: 'store',
    description: 'manage the database a log is stored in (store.url)',
    load: async () => [(await import('./commands/store.js')).registerStoreCommands],
  },
  {
    name: 'witness',
    description: 'run a witness that cosigns logs (c2sp.org/tlog-witness)',
    load: async () => [(await import('./commands/witness.js')).registerWitnessCommands],
  },
  {
    name: 'statement',
    description: 'author, sign, cosign and verify signed statements (DSSE + in-toto)',
    load: async () => [(await import('./commands/statement.js')).registerStatementCommands],
  },
  {
    name: 'blob',
    description:
      "upload files to a server's blob store (signed as a vendor) and download them by digest",
    load: async () => [(await import('./commands/blob.js')).registerBlobCommands],
  },
  {
    name: 'bundle',
    description:
      'write the evidence bundle (envelope + tlog-proof + checkpoint) of a published envelope, or its Sigstore bundle (--format sigstore)',
    load: async () => [(await import('./commands/bundle.js')).registerBundleCommands],
  },
  {
    name: 'verify',
    description:
      'verify evidence offline: a finding with all its evidence (nospy check --evidence), a bundle (evidence or Sigstore: signatures, rules, checkpoint, witnesses, inclusion), a proof of absence from a finding, or a proof that a log signed two histories',
    load: async () => [(await import('./commands/bundle.js')).registerBundleCommands],
  },
  {
    name: 'trusted-root',
    description:
      "write a Sigstore trusted root (v0.2) naming the trust file's log, and the signers' keys for a Sigstore verifier",
    load: async () => [(await import('./commands/trusted-root.js')).registerTrustedRootCommands],
  },
  {
    name: 'flows',
    description: 'decode flow telemetry (NetFlow, IPFIX, sFlow, Zeek)',
    load: async () => {
      const [flows, mud] = await Promise.all([
        import('./commands/flows.js'),
        import('./commands/mud.js'),
      ]);
      // `flows check` joins the `flows` command that the flows registrar made.
      return [flows.registerFlowsCommands, mud.registerFlowCheckCommand];
    },
  },
  {
    name: 'collect',
    description:
      "receive NetFlow/IPFIX/sFlow over UDP; append the flow records to an NDJSON file and/or nospy's flow store, and/or publish them to NATS JetStream",
    load: async () => [(await import('./commands/flows.js')).registerFlowsCommands],
  },
  {
    name: 'traffic',
    description: 'judge flow batches from NATS JetStream continuously into stored aggregates',
    load: async () => [(await import('./commands/traffic.js')).registerTrafficCommands],
  },
  {
    name: 'mud',
    description: 'judge flow records against MUD files (RFC 8520)',
    load: async () => [(await import('./commands/mud.js')).registerMudCommands],
  },
  {
    name: 'policy',
    description: 'government rule packs: compliance on a date, remediation plans, vendor shares',
    load: async () => [(await import('./commands/policy.js')).registerPolicyCommands],
  },
  {
    name: 'sbom',
    description: 'read and check SBOMs',
    load: async () => [(await import('./commands/sbom.js')).registerSbomCommands],
  },
  {
    name: 'osv',
    description: 'query OSV vulnerability data offline',
    load: async () => [(await import('./commands/sbom.js')).registerSbomCommands],
  },
  {
    name: 'firmware',
    description: 'inspect firmware images',
    load: async () => [(await import('./commands/firmware.js')).registerFirmwareCommands],
  },
  {
    name: 'rebuild',
    description: 'attest that the reviewed source builds a logged release (binary equivalence)',
    load: async () => [(await import('./commands/rebuild.js')).registerRebuildCommands],
  },
  {
    name: 'check',
    description:
      'check the log, inventory, flows, firmware, SBOMs and rule packs the config names; exit 1 on findings',
    load: async () => [(await import('./commands/check.js')).registerCheckCommands],
  },
  {
    name: 'demo',
    description: 'the demo world (docs/demo.md)',
    load: async () => [(await import('./commands/demo.js')).registerDemoCommands],
  },
];

/** Loads the given commands (all of them by default), for `buildProgram`. */
export async function loadCommands(
  entries: readonly CommandEntry[] = COMMANDS,
): Promise<Map<CommandEntry, readonly Registrar[]>> {
  const loaded = new Map<CommandEntry, readonly Registrar[]>();
  for (const entry of entries) loaded.set(entry, await entry.load());
  return loaded;
}

/** Program options that take a value: their value is not the command's name. */
const OPTIONS_WITH_VALUE = new Set(['-c', '--config', '--log-level']);

/**
 * The command a command line names: its first word that is neither an option nor an option's
 * value (`nospy --config x.yaml check`), or `help <command>`'s command. Undefined when the line
 * names none that the table knows (then the root program answers: help, version, or an error
 * with suggestions).
 */
export function commandOf(argv: readonly string[]): CommandEntry | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word === '--') return undefined;
    if (OPTIONS_WITH_VALUE.has(word)) {
      i += 1;
      continue;
    }
    if (word.startsWith('-')) continue;
    const name = word === 'help' ? argv[i + 1] : word;
    return COMMANDS.find((c) => c.name === name);
  }
  return undefined;
}
