/**
 * FreeSWITCH as a voice provider, over its Event Socket in inbound mode:
 * {@link io.irisx.voice.freeswitch.FreeSwitchVoiceProvider} originates calls, follows their channel events, and runs
 * their flows as dialplan applications.
 */
package io.irisx.voice.freeswitch;
