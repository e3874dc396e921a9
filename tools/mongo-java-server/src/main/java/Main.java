import java.util.Collection;
import java.util.stream.StreamSupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An in-memory MongoDB-wire server (github.com/bwaldvogel/mongo-java-server) on 127.0.0.1:<port>, for
 * benchmarks on machines where no MongoDB can run: unlike FerretDB 1.x on SQLite, it finds documents to
 * update by `_id` without reading the whole collection. Data is lost when it stops.
 */
public class Main {
  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new IdFirstBackend());
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    System.out.println("mongo-java-server listening on 127.0.0.1:" + args[0]);
    Thread.currentThread().join();
  }

  static class IdFirstBackend extends MemoryBackend {
    @Override
    public MemoryDatabase openOrCreateDatabase(String name) {
      return new IdFirstDatabase(name, getCursorRegistry());
    }
  }

  static class IdFirstDatabase extends MemoryDatabase {
    IdFirstDatabase(String name, CursorRegistry cursors) {
      super(name, cursors);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
      return new IdFirstCollection(this, name, options, cursorRegistry);
    }
  }

  /**
   * The library uses an index only for a filter of exactly its keys, so `{_id, status}` (a conditional
   * update) reads the whole collection. MongoDB finds such a document by `_id`; so does this, then
   * matches the rest of the filter.
   */
  static class IdFirstCollection extends MemoryCollection {
    IdFirstCollection(MemoryDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
      super(database, name, options, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
      Object id = query.get("_id");
      if (query.size() < 2 || id == null || id instanceof Document || id instanceof Collection) {
        return super.queryDocuments(query, orderBy, skip, limit, batchSize, fields);
      }
      QueryResult byId = super.queryDocuments(new Document("_id", id), null, 0, 0, 0, null);
      return matchDocumentsFromStream(StreamSupport.stream(byId.spliterator(), false), query, orderBy, skip, limit, batchSize, fields);
    }
  }
}
