// LCEL chain: the retriever fills {context} inside the system template.
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatOpenAI } from '@langchain/openai';
import type { VectorStore } from '@langchain/core/vectorstores';
import type { Document } from '@langchain/core/documents';

const formatDocs = (docs: Document[]) => docs.map((d) => d.pageContent).join('\n\n');

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You answer questions about our API. Use the documentation below.\n\n<context>'],
  ['human', '<context>\n{context}\n</context>'],
  ['human', '{question}'],
]);

export function docsChain(store: VectorStore) {
  const retriever = store.asRetriever(4);
  return RunnableSequence.from([
    { context: retriever.pipe(formatDocs), question: new RunnablePassthrough() },
    prompt,
    new ChatOpenAI({ model: 'gpt-4.1-mini' }),
    new StringOutputParser(),
  ]);
}
