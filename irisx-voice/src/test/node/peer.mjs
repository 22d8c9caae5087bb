// The npm package esl's FreeSwitchClient (an inbound Event Socket client) against the server IRISX's test runs on
// our codec. It prints one JSON line per thing it received, for the test to compare with what our codec read.
// Usage: node peer.mjs <port> <password>
import { FreeSwitchClient } from 'esl'

const [port, password] = process.argv.slice(2)
const quiet = { debug () {}, info () {}, error (...args) { console.error(...args) } }
const out = (record) => process.stdout.write(JSON.stringify(record) + '\n')
const client = new FreeSwitchClient({ host: '127.0.0.1', port: Number(port), password, logger: quiet })

// Each event esl parsed is printed; `expect(count)` resolves once `count` more arrived. (esl's emitter has no way to
// remove one listener, so one listener per event name serves every phase.)
let waiting = { count: 0, resolve () {} }
const expect = (count) => new Promise((resolve) => { waiting = { count, resolve } })
const listen = (call, names) => {
  for (const name of names) {
    call.on(name, (res) => {
      out({ event: name, headers: res.headers, body: res.body })
      if (--waiting.count === 0) waiting.resolve()
    })
  }
}

client.on('connect', async (call) => {
  try {
    out({ step: 'connected' })
    const status = await call.api('status')
    out({ step: 'api', body: status.body })

    listen(call, ['CHANNEL_ANSWER', 'DTMF'])
    const plain = expect(2)
    await call.send('event plain CHANNEL_ANSWER DTMF')
    await plain

    const json = expect(2)
    await call.send('event json CHANNEL_ANSWER DTMF')
    await json

    const job = await call.bgapi('originate {origination_uuid=uuid-1}sofia/gateway/main/14155550100 &park()', 5000)
    out({ step: 'bgapi', body: job.body })

    const done = await call.command_uuid('uuid-1', 'playback', '/sounds/hello world.wav', 5000)
    out({ step: 'execute', application: done.body['Application'], response: done.body['Application-Response'] })

    await call.exit()
    out({ step: 'done' })
    client.end()
  } catch (error) {
    out({ error: `${error?.name ?? ''} ${error?.message ?? error} ${JSON.stringify(error)}` })
    client.end()
    process.exitCode = 1
  }
})
client.on('error', (error) => {
  out({ error: `${error?.name ?? ''} ${error?.message ?? error} ${JSON.stringify(error)}` })
  client.end()
  process.exitCode = 1
})
client.connect()
