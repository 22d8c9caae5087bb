/**
 * The voice channel's workings: its tables, the worker that places queued calls, and the checks its builders share.
 * Not API: nothing here is kept stable, and no other module may use it.
 */
package io.irisx.voice.internal;
