import Foundation

/// Why a file staff named could not be written, in words. Foundation on Linux describes
/// these failures as "The operation could not be completed" or prints the whole NSError,
/// neither of which says what to do.
enum FileWriteFailure {
  static func error(writing path: String, _ error: any Error) -> AgentError {
    AgentError(.badInput, "cannot write \(path): \(reason(writing: path, error))")
  }

  static func reason(writing path: String, _ error: any Error) -> String {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return "it is a folder; give a file name"
    }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
      return "the folder \(folder) does not exist"
    }
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    let posix = underlying ?? (error as NSError)
    if posix.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(posix.code)))
    }
    if !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
      return "this user may not write in \(folder.isEmpty ? "the current folder" : folder)"
    }
    return "the system refused it"
  }

  /// Why a folder could not be made at `path`.
  static func folderProblem(_ path: String, _ error: any Error) -> String {
    var isFolder: ObjCBool = false
    var existing = path
    // The nearest part of the path that exists says what stands in the way.
    while !existing.isEmpty, existing != "/", !FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder) {
      existing = (existing as NSString).deletingLastPathComponent
    }
    if !existing.isEmpty, FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder), !isFolder.boolValue {
      return "\(existing) is a file, not a folder"
    }
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    let posix = underlying ?? (error as NSError)
    return posix.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(posix.code))) : "the system refused it"
  }
}
