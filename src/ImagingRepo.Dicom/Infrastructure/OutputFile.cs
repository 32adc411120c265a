using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ImagingRepo.Dicom.Infrastructure;

/// <summary>
/// One output being written, named only once it is complete, and never over an existing file. On Linux it is an
/// unnamed file in its final folder (<c>O_TMPFILE</c>) that <c>linkat</c> names at the end: a crash or a failure
/// leaves nothing behind, not even a temporary file. Where the file system or the system lacks that, it is a hidden
/// temporary file next to the target, renamed into place without replacing.
/// </summary>
internal sealed partial class OutputFile : IDisposable
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int WriteOnly = 0x1; // O_WRONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int CreateMode = 0x1B6; // 0666, less the umask, as File.OpenHandle creates files
    private const int FollowLinks = 0x400; // AT_SYMLINK_FOLLOW
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH
    private const int NoSuchEntry = 2; // ENOENT: linkat with AT_EMPTY_PATH from a caller without CAP_DAC_READ_SEARCH
    private const int NotPermitted = 1; // EPERM
    private const int AlreadyExists = 17; // EEXIST
    private const int IsDirectory = 21; // EISDIR: a kernel before 3.11 takes O_TMPFILE for O_DIRECTORY
    private const int InvalidArgument = 22; // EINVAL
    private const int NotSupported = 95; // EOPNOTSUPP: a file system without unnamed files
    private const int Interrupted = 4; // EINTR

    /// <summary>O_TMPFILE for this process's architecture, or 0 where unnamed files are not used.</summary>
    private static readonly int s_unnamedFlag = UnnamedFlag();

    /// <summary>Set once the file system refused an unnamed file: later outputs go straight to temporary names.</summary>
    private static volatile bool s_unnamedRefused;

    /// <summary>Set once linkat refused to name a descriptor itself: later outputs are named through /proc.</summary>
    private static volatile bool s_descriptorLinkRefused;

    /// <summary>Temporary names are unique per process and output without asking the kernel for randomness per file.</summary>
    private static readonly string s_temporaryPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + "-";
    private static long s_temporaryCounter;

    private readonly string _target;
    private readonly string? _temporaryPath;
    private long _length;
    private bool _published;

    private OutputFile(SafeFileHandle handle, string target, string? temporaryPath)
    {
        Handle = handle;
        _target = target;
        _temporaryPath = temporaryPath;
    }

    /// <summary>The open file, written from the start.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>True when the output has no name until <see cref="TryPublish()"/> (Linux's unnamed files).</summary>
    public bool IsUnnamed => _temporaryPath is null;

    /// <summary>Opens a new output for <paramref name="target"/>, whose folder must exist.</summary>
    /// <param name="target">The final path.</param>
    /// <param name="allowUnnamed">False to use a temporary name even where unnamed files work (for tests).</param>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public static OutputFile Create(string target, bool allowUnnamed = true)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (allowUnnamed && s_unnamedFlag != 0 && !s_unnamedRefused)
        {
            var descriptor = Open(folder, s_unnamedFlag | WriteOnly | CloseOnExec, CreateMode);
            if (descriptor >= 0)
            {
                return new OutputFile(new SafeFileHandle(descriptor, ownsHandle: true), target, null);
            }

            // a file system or kernel without unnamed files is not an error; anything else (a missing folder, no
            // permission) is, and creating the temporary file below reports it
            if (Marshal.GetLastPInvokeError() is NotSupported or IsDirectory or InvalidArgument)
            {
                s_unnamedRefused = true;
            }
        }

        var suffix = s_temporaryPrefix + Interlocked.Increment(ref s_temporaryCounter).ToString("x", CultureInfo.InvariantCulture);
        var temporaryPath = Path.Combine(folder, "." + Path.GetFileName(target) + "." + suffix + ".tmp");
        return new OutputFile(File.OpenHandle(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None), target, temporaryPath);
    }

    /// <summary>Appends <paramref name="bytes"/> to the output.</summary>
    /// <exception cref="IOException">The write failed (a full disk, a quota).</exception>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (IsUnnamed)
        {
            // an unnamed file is Linux's own: pwrite it directly, sparing RandomAccess its probe of whether the handle
            // can seek (an lseek per output)
            AppendUnnamed(bytes);
        }
        else
        {
            RandomAccess.Write(Handle, bytes, _length);
        }

        _length += bytes.Length;
    }

    private void AppendUnnamed(ReadOnlySpan<byte> bytes)
    {
        var descriptor = (int)Handle.DangerousGetHandle();
        var offset = _length;
        while (!bytes.IsEmpty)
        {
            var written = PositionalWrite(descriptor, bytes, (nuint)bytes.Length, offset);
            if (written < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                {
                    continue;
                }

                throw new IOException($"cannot write the output for '{_target}': {Marshal.GetPInvokeErrorMessage(error)}");
            }

            if (written == 0)
            {
                throw new IOException($"cannot write the output for '{_target}': the file system accepted no bytes");
            }

            bytes = bytes[(int)written..];
            offset += written;
        }
    }

    /// <summary>A write-only stream appending to the output; disposing it leaves the output open.</summary>
    public Stream AsStream() => new AppendStream(this);

    /// <summary>
    /// Gives the complete output its final name; false, with nothing changed, when a file of that name exists (the
    /// same instance twice in the input, or a parallel run). Closes the file either way.
    /// </summary>
    /// <exception cref="IOException">Naming failed for another reason.</exception>
    public bool TryPublish() => TryPublish(allowDescriptorLink: true);

    /// <summary>As <see cref="TryPublish()"/>; false for <paramref name="allowDescriptorLink"/> names through /proc (for tests).</summary>
    internal bool TryPublish(bool allowDescriptorLink)
    {
        if (_temporaryPath is not null)
        {
            Handle.Dispose();
            _published = NoReplaceRename.TryMove(_temporaryPath, _target);
            return _published;
        }

        // linkat never replaces an existing name. It names the descriptor itself where the kernel lets this process
        // (CAP_DAC_READ_SEARCH, or a kernel that allows it for the file's opener), which spares a walk through /proc;
        // otherwise the descriptor's /proc link names the open, unnamed inode.
        var descriptor = (int)Handle.DangerousGetHandle();
        int error;
        if (allowDescriptorLink && !s_descriptorLinkRefused)
        {
            error = ErrorOf(Link(descriptor, "", CurrentDirectory, _target, EmptyPath));
            if (error is NoSuchEntry or NotPermitted)
            {
                error = LinkThroughProc(descriptor);

                // only the descriptor form was refused (a missing folder fails both ways): name later outputs through /proc
                s_descriptorLinkRefused |= error == 0;
            }
        }
        else
        {
            error = LinkThroughProc(descriptor);
        }

        Handle.Dispose();
        if (error == 0)
        {
            _published = true;
            return true;
        }

        return error == AlreadyExists
            ? false
            : throw new IOException($"cannot name the output '{_target}': {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>Names the open descriptor through its /proc link; returns 0 or the error number.</summary>
    private int LinkThroughProc(int descriptor) => ErrorOf(Link(CurrentDirectory,
        "/proc/self/fd/" + descriptor.ToString(CultureInfo.InvariantCulture), CurrentDirectory, _target, FollowLinks));

    private static int ErrorOf(int result) => result == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Closes the file; an output never published is gone (unnamed) or deleted (temporary name).</summary>
    public void Dispose()
    {
        Handle.Dispose();
        if (!_published && _temporaryPath is not null)
        {
            File.Delete(_temporaryPath);
        }
    }

    /// <summary>The output as a stream, for writers that need one.</summary>
    private sealed class AppendStream(OutputFile output) : WriteOnlyStream
    {
        public override long Length => output._length;

        public override void Write(ReadOnlySpan<byte> buffer) => output.Append(buffer);
    }

    private static int UnnamedFlag()
    {
        // naming an unnamed file needs /proc (linkat through /proc/self/fd works without privileges)
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fd"))
        {
            return 0;
        }

        // __O_TMPFILE | O_DIRECTORY, whose value differs between architectures
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 0x410000,
            Architecture.Arm64 => 0x404000,
            _ => 0,
        };
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PositionalWrite(int descriptor, ReadOnlySpan<byte> buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(int oldDirectory, string oldPath, int newDirectory, string newPath, int flags);
}
