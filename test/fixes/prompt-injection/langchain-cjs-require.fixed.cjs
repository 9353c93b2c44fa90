// CommonJS worker: the ticket's requested tone goes into a LangChain system message.
"use strict"
const { ChatAnthropic } = require("@langchain/anthropic")
const { SystemMessage, HumanMessage } = require("@langchain/core/messages")
const express = require("express")

const model = new ChatAnthropic({ model: "claude-sonnet-4-5" })
const app = express()
app.use(express.json())

app.post("/reply", async (req, res) => {
	const tone = req.body.tone
	const answer = await model.invoke([
		new SystemMessage(`Reply to the support ticket in a <tone> tone.`),
		new HumanMessage(`<tone>\n${tone}\n</tone>`),
		["human", req.body.ticket],
	])
	res.json({ reply: answer.content })
})

module.exports = app
