/**
 * The most concurrent calls any one scope (a campaign, a client, the whole platform) may be limited
 * to. A scope's slots live in one KV entry that names every call holding one (about 63 bytes each at
 * most), and every entry must fit in a NATS message (max_payload, 1 MB by default): 10,000 holders
 * take about 630 KB. Larger limits are refused where they are set (API and configuration).
 */
export const MAX_CONCURRENT_CALLS_PER_SCOPE = 10_000;
