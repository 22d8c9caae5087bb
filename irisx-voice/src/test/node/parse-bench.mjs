// The npm package esl's parser (its FreeSwitchResponse, fed as a socket would feed it) on a stream of Event Socket
// bytes: events parsed per second over a measured time, after a warm-up. IRISX's voice benchmark runs it beside its
// own codec on the same file.
// Usage: node parse-bench.mjs <stream file> <warm-up seconds> <measured seconds>
import { readFileSync } from 'node:fs'
import { EventEmitter } from 'node:events'
import { FreeSwitchResponse } from 'esl'

const [file, warmup, measured] = process.argv.slice(2)
const stream = readFileSync(file)
const CHUNK = 64 * 1024
const quiet = { debug () {}, info () {}, error (...args) { console.error(...args) } }
const NAMES = ['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_EXECUTE_COMPLETE', 'DTMF',
  'RECORD_STOP', 'CHANNEL_HANGUP_COMPLETE', 'BACKGROUND_JOB']

// A socket as FreeSwitchResponse uses one: data comes in as 'data' events.
class FeedSocket extends EventEmitter {
  setKeepAlive () {}
  setNoDelay () {}
  write () { return true }
  end () {}
}

const socket = new FeedSocket()
const response = new FreeSwitchResponse(socket, quiet)
let events = 0
for (const name of NAMES) response.on(name, () => { events++ })

const once = () => {
  for (let at = 0; at < stream.length; at += CHUNK) {
    socket.emit('data', stream.subarray(at, Math.min(at + CHUNK, stream.length)))
  }
}
const run = (seconds) => {
  const start = process.hrtime.bigint()
  const end = start + BigInt(Math.round(seconds * 1e9))
  const before = events
  let now = start
  while (now < end) {
    once()
    now = process.hrtime.bigint()
  }
  return (events - before) / (Number(now - start) / 1e9)
}
run(Number(warmup))
const perSecond = run(Number(measured))
process.stdout.write(JSON.stringify({ eventsPerSecond: perSecond, streamEvents: events }) + '\n')
