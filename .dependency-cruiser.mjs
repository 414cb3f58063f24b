/**
 * The house's structure, checked by dependency-cruiser in `npm test` (`npm run structure`);
 * docs/DESIGN.md §3 draws the layers these rules hold. Type-only imports count: a pure core that
 * names a CLI type still depends on the CLI.
 */

/** Node's modules that do I/O: files, sockets, HTTP, processes, threads. */
const IO_BUILTINS =
  '^(node:)?(fs|net|http|https|http2|tls|dns|dgram|child_process|worker_threads)($|/)';

/** The only packages a pure core may use: parsers that take data and return data. */
const PURE_PACKAGES = '^node_modules/(zod|yaml)/';

/**
 * The pure cores: no module here reaches I/O, the CLI or the server through any chain of
 * imports. Each part's loader (the one module that reads files for it) is left out by name.
 */
const PURE_CORES = ['^src/tlog/', '^src/mud/', '^src/policy/', '^src/check/rules/', '^src/flows/'];

/**
 * Modules under those folders whose job is I/O:
 * - src/mud/load.ts: reads MUD files, contexts, device maps and grants;
 * - src/policy/load.ts (packs, registry) and src/policy/from-files.ts (packs and inventory files
 *   handed to the evaluator);
 * - the flow collector and its worker threads (collector, collector-worker, collector-protocol,
 *   collector-metrics, decode-thread, kernel-udp-stats), the store and its writer (flow-store,
 *   flow-store-writer, flow-sink) and the file readers (line-reader, flow-file, decode-capture,
 *   zeek). Every other module of src/flows is a decoder or encoder and stays pure.
 */
const LOADERS = [
  '^src/mud/load[.]ts$',
  '^src/policy/(load|from-files)[.]ts$',
  '^src/flows/(collector|collector-worker|collector-protocol|collector-metrics|decode-thread|kernel-udp-stats)[.]ts$',
  '^src/flows/(flow-store|flow-store-writer|flow-sink)[.]ts$',
  '^src/flows/(line-reader|flow-file|decode-capture|zeek)[.]ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'An import cycle: modules that need each other are one module in two files, and a ' +
        'layer below imports one above. Move what both need into a module of its own.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'pure-core',
      comment:
        'A pure core (src/tlog, src/mud, src/policy, src/check/rules, the flow decoders) reaches ' +
        'I/O, a package other than zod or yaml, the CLI or the server through the chain shown. ' +
        'Import what it needs from the module that defines it (not a barrel or a loader), or ' +
        'hand it in from the caller.',
      severity: 'error',
      from: { path: PURE_CORES, pathNot: ['[.]test[.]ts$', ...LOADERS] },
      to: {
        path: [IO_BUILTINS, '^node_modules/', '^src/cli/', '^src/server/'],
        pathNot: PURE_PACKAGES,
        reachable: true,
      },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '^node_modules/' },
  },
};
