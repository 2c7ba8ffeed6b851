// Reads and verifies an image (every layer indexed, every digest checked) and nothing more: the
// "index time" of `npm run bench`, without the analysis that --json and the summary add.
import { openImage } from '../src/image/open.js';

const image = await openImage(process.argv[2]!);
process.stdout.write(`${image.layers.length} layers, ${image.layers.reduce((n, l) => n + l.entryCount, 0)} entries\n`);
