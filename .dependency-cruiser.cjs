/**
 * The shape of pushspec's code, checked on every `npm test` (`npm run lint:deps`).
 * docs/ARCHITECTURE.md explains each layer; these rules keep it true.
 * Type-only imports count too: a type cycle is still a cycle.
 */
/** Where code lives that is not part of the shipped layers. */
const TOOLING = '^(test|bench|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle anywhere, value or type.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stands-alone',
      comment: 'core/ imports no cucumber, no technique and nothing above it: it is what every layer builds on.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: ['^(techniques|steps|adapters|reference|verdicts|reporting|cli|scripts|bench|soak)/', '@cucumber'] },
    },
    {
      name: 'techniques-know-no-cucumber',
      comment: "Only a technique's step phrases (*.steps.ts) use cucumber; its contract, clients, actions and checks do not.",
      severity: 'error',
      from: { path: '^techniques/', pathNot: '\\.steps\\.ts$' },
      to: { path: '@cucumber' },
    },
    {
      name: 'actions-never-see-the-world',
      comment: 'Actions, clients and checks get the scenario context (core/context.ts), never the World.',
      severity: 'error',
      from: { path: '^techniques/', pathNot: '\\.steps\\.ts$' },
      to: { path: '^steps/' },
    },
    {
      name: 'techniques-stand-apart',
      comment: 'A technique reaches another only where they share a protocol: long-polling builds on polling.',
      severity: 'error',
      from: { path: '^techniques/(polling|sse|websocket)/' },
      to: { path: '^techniques/(?!$1/)[^/]+/' },
    },
    {
      name: 'checks-are-pure',
      comment: 'A check is a pure function of recorded evidence: at run time it uses only the failure type, the shared wording helpers and other pure measures.',
      severity: 'error',
      from: { path: '^techniques/.*(checks|poll-checks)\\.ts$' },
      to: { dependencyTypesNot: ['type-only'], pathNot: ['^core/(failure|sequence|http-headers)\\.ts$', '(checks|poll-checks|measures)\\.ts$', '^techniques/websocket/autobahn/(judge|words)\\.ts$', '^node:crypto$', '^crypto$'] },
    },
    {
      name: 'steps-talk-to-the-world',
      comment: 'Step phrases reach clients and actions only through the World; at run time they use checks (and the names of recipes).',
      severity: 'error',
      from: { path: '\\.steps\\.ts$' },
      to: { dependencyTypesNot: ['type-only'], path: '^(techniques|core|adapters)/', pathNot: ['(checks|poll-checks|case-checks|recipes)\\.ts$'] },
    },
    {
      name: 'soak-drives-clients-without-cucumber',
      comment: 'The soak (pushspec soak) drives the techniques\' clients and the publisher as the actions do, without cucumber, steps or verdicts; the CLI starts it.',
      severity: 'error',
      from: { path: '^soak/' },
      to: { path: ['@cucumber', '^(steps|verdicts|reporting|reference|cli)/'] },
    },
    {
      name: 'reference-is-its-own-wing',
      comment: 'Nothing reaches the reference server but the CLI that starts it (and the tests and benchmarks); the contract never does.',
      severity: 'error',
      from: { pathNot: ['^reference/', '^cli/', TOOLING] },
      to: { path: '^reference/' },
    },
    {
      name: 'reference-imports-no-harness',
      comment: 'The reference server is a server like any other: it knows nothing of the harness.',
      severity: 'error',
      from: { path: '^reference/' },
      to: { path: '^(techniques|steps|adapters|verdicts|reporting|cli)/' },
    },
    {
      name: 'runner-and-cli-load-no-support-code',
      comment: 'Cucumber loads the support code itself; the runner and the CLI must not import it (ESM modules load once per process).',
      severity: 'error',
      from: { path: ['^cli/', '^steps/run-suite\\.ts$'] },
      to: { path: ['^steps/support/', '\\.steps\\.ts$'] },
    },
    {
      name: 'shipped-code-imports-no-tooling',
      comment: 'What ships in the package never imports tests, benchmarks or doc scripts.',
      severity: 'error',
      from: { pathNot: TOOLING },
      to: { path: TOOLING },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist/', '^reports/', '^coverage/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
