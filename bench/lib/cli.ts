// Command-line options of `npm run bench`.

export const TABLES = ['gemm', 'ops', 'train', 'infer'] as const;
export type TableName = (typeof TABLES)[number];

export interface Options {
  only: TableName[];
  quick: boolean;
  jsonDir: string;
  /** Set in the per-table child process: the one table it runs. */
  table: string | null;
  /** Overrides the number of rounds of every table. */
  rounds: number | null;
  /** Runs measurements that take minutes (TensorFlow.js-cpu training the 150×150 convnet). */
  slow: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--only gemm,ops,train,infer] [--quick] [--json DIR] [--rounds N] [--slow]

  --only LIST   tables to run, comma-separated (default: all, in the order gemm, ops, train, infer)
  --quick       fewer rounds, sizes and steps: a smoke run (under 2 minutes)
  --json DIR    where the JSON results go (default bench/results)
  --rounds N    rounds per measurement (default 5, or 3 with --quick)
  --slow        also run measurements predicted to take minutes (skipped by default, with a note)`;

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { only: [...TABLES], quick: false, jsonDir: 'bench/results', table: null, rounds: null, slow: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--only': {
        const names = value().split(',').map((s) => s.trim()).filter(Boolean);
        const bad = names.filter((n) => !(TABLES as readonly string[]).includes(n));
        if (bad.length > 0) throw new Error(`--only: unknown table(s) ${bad.join(', ')}; known: ${TABLES.join(', ')}`);
        o.only = TABLES.filter((t) => names.includes(t));
        break;
      }
      case '--quick':
        o.quick = true;
        break;
      case '--json':
        o.jsonDir = value();
        break;
      case '--table':
        o.table = value();
        break;
      case '--rounds': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds needs a positive integer`);
        o.rounds = n;
        break;
      }
      case '--slow':
        o.slow = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return o;
}

/** The arguments that reproduce these options in a child process (minus --only and --table). */
export function childArgs(o: Options): string[] {
  const args = ['--json', o.jsonDir];
  if (o.quick) args.push('--quick');
  if (o.rounds !== null) args.push('--rounds', String(o.rounds));
  if (o.slow) args.push('--slow');
  return args;
}
