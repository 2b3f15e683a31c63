import Hummingbird
import NIOCore

/// The request context of portal-sim: Hummingbird's core storage, the connection's channel (the
/// reset fault closes it under the client) and the notes the request log line reads.
struct PortalRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    let notes = RequestNotes()

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}
