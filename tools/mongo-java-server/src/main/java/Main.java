import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * An in-memory MongoDB-wire server (github.com/bwaldvogel/mongo-java-server) on 127.0.0.1:<port>, for
 * benchmarks on machines where no MongoDB can run: unlike FerretDB 1.x on SQLite, it finds documents to
 * update by `_id` without reading the whole collection. Data is lost when it stops.
 */
public class Main {
  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    System.out.println("mongo-java-server listening on 127.0.0.1:" + args[0]);
    Thread.currentThread().join();
  }
}
