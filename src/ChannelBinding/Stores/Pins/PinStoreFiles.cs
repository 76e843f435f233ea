namespace CbbToolkit.Channels.Stores;

/// <summary>
/// Creates the pin store's directory (0700) and file (0600) and refuses ones others could change or read: a pin
/// another user could write is no pin, and the file holds binding secrets. SQLite gives its -wal and -shm files the
/// main file's mode; they are checked too when present.
/// </summary>
internal static class PinStoreFiles
{
    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private const UnixFileMode GroupOrOtherAny =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Makes sure directory and file exist with safe modes (creating them when missing) and checks them.</summary>
    public static void PrepareForWriting(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            var parent = System.IO.Path.GetDirectoryName(directory);
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }

            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        CheckDirectory(directory);
        if (!File.Exists(path))
        {
            try
            {
                // CreateNew with an explicit mode: the file is never, not even briefly, readable by others.
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = OwnerOnlyFile,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: check what it made.
            }
        }

        CheckFiles(path);
    }

    /// <summary>Checks an existing store's directory and files (for read-only use); false when the file does not exist.</summary>
    public static bool CheckExisting(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        CheckDirectory(System.IO.Path.GetDirectoryName(path)!);
        CheckFiles(path);
        return true;
    }

    private static void CheckFiles(string path)
    {
        CheckFile(path);
        foreach (var companion in new[] { path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(companion))
            {
                CheckFile(companion);
            }
        }
    }

    private static void CheckDirectory(string directory)
    {
        var mode = File.GetUnixFileMode(directory);
        if ((mode & GroupOrOtherWrite) != 0)
        {
            throw new PinStorePermissionException(directory, mode,
                $"the store's directory is writable by group or others, who could replace the store; chmod 700 {directory}");
        }
    }

    private static void CheckFile(string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null)
        {
            throw new PinStorePermissionException(file, info.UnixFileMode, "the store file is a symbolic link; point --store (or Path) at the real file");
        }

        var mode = info.UnixFileMode;
        if ((mode & GroupOrOtherAny) != 0)
        {
            throw new PinStorePermissionException(file, mode,
                $"the store file is open to group or others (it holds binding secrets, and a writable pin can be planted); chmod 600 {file}");
        }
    }
}
