import Foundation

/// Why a file or folder named on the command line cannot be written, in words staff can act
/// on. Foundation on Linux describes such failures as "The operation could not be completed"
/// or prints the whole NSError, neither of which says what to do.
public enum FileProblem {
  /// What stands in the way of writing the file `path`: a folder there, a folder missing,
  /// what the system said when a write already failed (`error`), no right to write in the
  /// folder. Nil when nothing does.
  public static func writing(_ path: String, error: (any Error)? = nil) -> String? {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return "it is a folder; give a file name"
    }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) { return "the folder \(folder) does not exist" }
    if let error, let reason = systemReason(error) { return reason }
    if !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
      return "this user may not write in \(folder.isEmpty ? "the current folder" : folder)"
    }
    return nil
  }

  /// Why a folder could not be made at `path`.
  public static func makingFolder(_ path: String, error: any Error) -> String {
    var isFolder: ObjCBool = false
    var existing = path
    // The nearest part of the path that exists says what stands in the way.
    while !existing.isEmpty, existing != "/", !FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder) {
      existing = (existing as NSString).deletingLastPathComponent
    }
    if !existing.isEmpty, FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder), !isFolder.boolValue {
      return "\(existing) is a file, not a folder"
    }
    return systemReason(error) ?? "the system refused it"
  }

  /// The system's own words (`strerror`) for a failure that carries an errno.
  private static func systemReason(_ error: any Error) -> String? {
    let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError) ?? (error as NSError)
    return posix.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(posix.code))) : nil
  }
}
