import { catalogReaderContract, catalogWriterContract, feedCatalogContract } from '../../helpers/contracts/catalog.js';
import { FakeCatalog } from '../../helpers/fake-catalog.js';

const world = async () => {
  const catalog = new FakeCatalog();
  return { reader: catalog, writer: catalog, feeds: catalog };
};

catalogReaderContract('FakeCatalog', world);
catalogWriterContract('FakeCatalog', world);
feedCatalogContract('FakeCatalog', world);
