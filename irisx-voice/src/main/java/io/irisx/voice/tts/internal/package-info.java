/** The workings of text-to-speech: splitting, joining audio, the fallback chain, the disk cache. Not API. */
package io.irisx.voice.tts.internal;
