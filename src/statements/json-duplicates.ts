/**
 * Finds a repeated member name in a JSON object. JSON.parse keeps the last of two equal names
 * silently (RFC 8259 §4 leaves it to the parser), so two verifiers could read one signed payload
 * differently; nospy refuses such a payload instead. Run only on text JSON.parse accepted.
 */
export function firstDuplicateKey(text: string): string | undefined {
  const stack: { keys: Set<string> | undefined; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ keys: undefined, expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top?.keys !== undefined) top.expectKey = true;
    else if (c === '"') {
      const start = i;
      for (i += 1; text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
    }
  }
  return undefined;
}
