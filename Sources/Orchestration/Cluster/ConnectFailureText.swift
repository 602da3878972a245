import NIOCore
import NIOPosix
import SystemCalls

/// A failed connect in words for people: `Connection refused`, `No route to host`, `no address
/// for the name`, `no connection within 10 s`, rather than NIO's nested error values.
enum ConnectFailureText {
    static func explain(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let last = error.connectionErrors.last { return explain(last.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "no address for the name \(error.host)" }
        }
        if let error = error as? IOError { return Errno(rawValue: error.errnoCode).description }
        if case ChannelError.connectTimeout(let time)? = error as? ChannelError {
            return "no connection within \(Double(time.nanoseconds) / 1e9) s"
        }
        return "\(error)"
    }
}
