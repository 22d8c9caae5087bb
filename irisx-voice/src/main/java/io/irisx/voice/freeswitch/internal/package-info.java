/**
 * FreeSWITCH's Event Socket spoken from the inbound side: the codec that frames and parses its messages and events,
 * and the connection that authenticates, subscribes, sends commands and reconnects. Not API: nothing here is kept
 * stable, and no other module may use it.
 */
package io.irisx.voice.freeswitch.internal;
