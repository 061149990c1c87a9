// A tiny printer shared by the demo scenes, so every scene reads the same on a terminal.
export interface Printer {
  /** A scene title. */
  scene(title: string): void;
  /** A sentence of narration. */
  say(text: string): void;
  /** A labelled value: a decision, a result, an effective setting. */
  show(label: string, value: unknown): void;
}

export function consolePrinter(write: (line: string) => void = (l) => { console.log(l); }): Printer {
  return {
    scene(title) {
      write('');
      write(`== ${title} ${'='.repeat(Math.max(0, 72 - title.length))}`);
    },
    say(text) {
      write(text);
    },
    show(label, value) {
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
      const lines = text.split('\n');
      write(`  ${label}: ${lines[0] ?? ''}`);
      for (const l of lines.slice(1)) write(`    ${l}`);
    },
  };
}

/** A scene: a named walk through one of the seed articles' situations. */
export type Scene = (out: Printer) => void | Promise<void>;
