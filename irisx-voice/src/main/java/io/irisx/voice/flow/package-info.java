/**
 * IVR flows: a named sequence of {@linkplain io.irisx.voice.flow.Step steps} — say, play, gather, record, dial, pause,
 * redirect, hang up — built declaratively with {@link io.irisx.voice.flow.Flow#builder(String)} and checked as a
 * whole when built. A flow holds no provider's markup: each provider runs it its own way (Twilio as TwiML, one
 * document per stretch of steps up to the next input), all from the same steps and the same rules of what follows
 * each step ({@link io.irisx.voice.flow.Flow#after}, {@link io.irisx.voice.flow.Flow#afterGather}).
 */
package io.irisx.voice.flow;
