/**
 * The {@code voice} suite: a flow's TwiML rendered by IRISX beside the Twilio SDK's builders used by hand
 * ({@link io.irisx.benchmarks.voice.TwimlRenderBenchmark}); FreeSWITCH Event Socket events parsed per second by IRISX's
 * codec on a stream of calls' events as FreeSWITCH writes them, beside a bare line split (JMH,
 * {@link io.irisx.benchmarks.voice.EslParseBenchmark}) and beside the npm package {@code esl}'s parser run with Node.js
 * on the same bytes (a program, {@link io.irisx.benchmarks.voice.EslPeerBenchmark}).
 */
package io.irisx.benchmarks.voice;
