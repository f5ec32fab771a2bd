import { ref } from 'vue'

/**
 * The scan field of a screen that takes barcodes: `text` is its v-model,
 * `onScan` its @scan handler. The field empties the moment a code is
 * scanned, so the next scan can follow at once — a clerk scans again while
 * the last code is still being looked up, and a clear after the lookup
 * would cut the next code being typed (a code that adds nothing is named in
 * the handler's warning instead). The codes are handled one after another,
 * in the order scanned, even when the gun is faster than the server;
 * `settled` waits for every code scanned so far (before posting).
 */
export function useScanQueue(handle: (code: string) => Promise<unknown> | unknown) {
  const text = ref('')
  let chain: Promise<unknown> = Promise.resolve()
  function onScan(code: string) {
    text.value = ''
    // A handler that throws must not stop the scans after it; it is
    // reported, loudly, where a developer (and the browser tests) look.
    chain = chain.then(() => handle(code)).catch((e) => console.error('scan', code, e))
  }
  return { text, onScan, settled: () => chain.then(() => undefined) }
}
