import fs from 'node:fs/promises';

/** Reads a file, or stdin for "-". */
export async function readInput(input: string): Promise<Buffer> {
  if (input !== '-') {
    try {
      return await fs.readFile(input);
    } catch (err) {
      throw new Error(
        `cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** "0:agent,1:customer" -> { "0": "agent", "1": "customer" } */
export function parseSpeakerMap(
  value: string | undefined,
): Record<string, 'agent' | 'customer' | 'system'> | undefined {
  if (!value) return undefined;
  const map: Record<string, 'agent' | 'customer' | 'system'> = {};
  for (const pair of value.split(',')) {
    const [id, role] = pair.split(':').map((s) => s.trim());
    if (!id || (role !== 'agent' && role !== 'customer' && role !== 'system')) {
      throw new Error(`--speakers: "${pair}" should look like "0:agent" (roles: agent, customer, system)`);
    }
    map[id] = role;
  }
  return map;
}
