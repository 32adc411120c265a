using System.Runtime.InteropServices;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// A codec's shared library from the system (Debian's libcharls2, libopenjp2-7), loaded on first use at run time so the
/// package runs without it; where it is missing the syntaxes it decodes give the typed unsupported error.
/// </summary>
internal sealed class SystemCodecLibrary
{
    private readonly nint handle;

    private SystemCodecLibrary(string package, nint handle, string? missing)
    {
        Package = package;
        this.handle = handle;
        Missing = missing;
    }

    /// <summary>CharLS (JPEG-LS).</summary>
    public static SystemCodecLibrary CharLS => charLS.Value;

    /// <summary>OpenJPEG (JPEG 2000).</summary>
    public static SystemCodecLibrary OpenJpeg => openJpeg.Value;

    private static readonly Lazy<SystemCodecLibrary> charLS = new(() => Load("libcharls2 (CharLS)", "charls_jpegls_decoder_create", "libcharls.so.2", "libcharls.so", "charls"));
    private static readonly Lazy<SystemCodecLibrary> openJpeg = new(() => Load("libopenjp2-7 (OpenJPEG)", "opj_create_decompress", "libopenjp2.so.7", "libopenjp2.so", "openjp2"));

    /// <summary>The Debian package that provides it, for messages.</summary>
    public string Package { get; }

    /// <summary>Null when loaded; else why it is not available.</summary>
    public string? Missing { get; }

    public bool IsAvailable => Missing is null;

    /// <summary>The address of an exported function (the library is loaded).</summary>
    public nint Export(string name) => NativeLibrary.GetExport(handle, name);

    private static SystemCodecLibrary Load(string package, string probe, params string[] names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                if (NativeLibrary.TryGetExport(handle, probe, out _))
                {
                    return new SystemCodecLibrary(package, handle, null);
                }

                NativeLibrary.Free(handle);
            }
        }

        return new SystemCodecLibrary(package, 0, $"the system library {package} is not installed ({string.Join(", ", names)} not found)");
    }
}
