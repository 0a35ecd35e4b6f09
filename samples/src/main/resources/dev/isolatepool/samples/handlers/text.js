// Tenant "{{tenant}}": text analytics for a help-desk plugin.
// Counts words and reports the most frequent ones.
const TENANT = "{{tenant}}";
const STOP_WORDS = new Set(["a", "an", "the", "and", "or", "to", "of", "is", "it"]);
let invocations = 0;

function handle(request) {
  invocations++;
  const text = String(request.text ?? "");
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  const counts = {};
  for (const word of words) {
    if (!STOP_WORDS.has(word)) {
      counts[word] = (counts[word] ?? 0) + 1;
    }
  }
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, Number(request.top) || 3);
  return { tenant: TENANT, words: words.length, top, invocations };
}
