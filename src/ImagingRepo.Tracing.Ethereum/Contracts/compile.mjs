// Compiles TraceAnchor.sol with solc-js and writes TraceAnchor.json (ABI + creation bytecode), which the
// .NET build embeds so that building does not need Node. Run after editing the contract:
//   npm install --prefix eng/contracts && node src/ImagingRepo.Tracing.Ethereum/Contracts/compile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.env.SOLC_MODULE_ROOT ?? join(here, '..', '..', '..', 'eng', 'contracts', 'node_modules'), 'resolve.js'));
const solc = require('solc');

const source = readFileSync(join(here, 'TraceAnchor.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'TraceAnchor.sol': { content: source } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris', // Besu and older dev chains; no PUSH0
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

const contract = output.contracts['TraceAnchor.sol'].TraceAnchor;
const artifact = {
  contractName: 'TraceAnchor',
  compiler: `solc-js ${solc.version()}`,
  evmVersion: input.settings.evmVersion,
  abi: contract.abi,
  bytecode: '0x' + contract.evm.bytecode.object,
};
writeFileSync(join(here, 'TraceAnchor.json'), JSON.stringify(artifact, null, 2) + '\n');
console.log(`TraceAnchor.json written (${contract.evm.bytecode.object.length / 2} bytes of bytecode, ${artifact.compiler})`);
