// Send HL7 messages with node-hl7-client (a client no one here wrote) and print each ACK as one JSON line.
// usage: node send.mjs HOST PORT MESSAGES.json   (a JSON list of message texts, segments joined by \r)
import { readFileSync } from "node:fs";
import { Client, Message } from "node-hl7-client";

const [host, port, file] = process.argv.slice(2);
const texts = JSON.parse(readFileSync(file, "utf-8"));
const acks = [];
let wake = null;
const timer = setTimeout(() => { console.error("timed out waiting for ACKs"); process.exit(2); }, 60000);

const client = new Client({ host });
const conn = client.createConnection({ port: Number(port), waitAck: true }, async (res) => {
  const msg = res.getMessage();
  acks.push({
    msa1: msg.get("MSA.1").toString(),
    msa2: msg.get("MSA.2").toString(),
    err: msg.toString().split("\r").find((s) => s.startsWith("ERR|")) ?? null,
  });
  if (wake) wake();
});

for (const text of texts) {
  const before = acks.length;
  const got = new Promise((resolve) => { wake = resolve; });
  await conn.sendMessage(new Message({ text }));
  if (acks.length === before) await got;
  console.log(JSON.stringify(acks[acks.length - 1]));
}
clearTimeout(timer);
await conn.close();
process.exit(0);
