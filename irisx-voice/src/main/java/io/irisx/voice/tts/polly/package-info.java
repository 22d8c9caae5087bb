/** Amazon Polly as a text-to-speech provider, through the AWS SDK: {@link io.irisx.voice.tts.polly.PollyTtsProvider}. */
package io.irisx.voice.tts.polly;
