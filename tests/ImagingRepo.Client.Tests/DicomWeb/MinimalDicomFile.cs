using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ImagingRepo.Client.Tests.DicomWeb;

/// <summary>
/// Writes a small but valid DICOM Part 10 file by hand (Secondary Capture, explicit VR little endian,
/// a 2x2 8-bit MONOCHROME2 image, every Type 1 and 2 attribute of the IOD present; dciodvfy reports no
/// error), so that tests of DICOMweb servers need no DICOM library.
/// </summary>
internal static class MinimalDicomFile
{
    public const string SecondaryCaptureSopClass = "1.2.840.10008.5.1.4.1.1.7";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    private const string ImplementationClassUid = "2.25.275741864483510678566144889372061815320";

    /// <summary>A UID under the 2.25 root (ITU-T X.667: a UUID as one decimal number).</summary>
    public static string NewUid() =>
        "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] Create(string patientId, string patientName, string studyUid, string seriesUid, string sopInstanceUid)
    {
        var dataset = new ElementWriter();
        dataset.Add(0x0008, 0x0016, "UI", SecondaryCaptureSopClass);
        dataset.Add(0x0008, 0x0018, "UI", sopInstanceUid);
        dataset.Add(0x0008, 0x0020, "DA", "20240131");
        dataset.Add(0x0008, 0x0030, "TM", "120000");
        dataset.Add(0x0008, 0x0050, "SH", string.Empty);
        dataset.Add(0x0008, 0x0060, "CS", "OT");
        dataset.Add(0x0008, 0x0064, "CS", "WSD");
        dataset.Add(0x0008, 0x0090, "PN", string.Empty);
        dataset.Add(0x0010, 0x0010, "PN", patientName);
        dataset.Add(0x0010, 0x0020, "LO", patientId);
        dataset.Add(0x0010, 0x0030, "DA", string.Empty);
        dataset.Add(0x0010, 0x0040, "CS", string.Empty);
        dataset.Add(0x0020, 0x000D, "UI", studyUid);
        dataset.Add(0x0020, 0x000E, "UI", seriesUid);
        dataset.Add(0x0020, 0x0010, "SH", "1");
        dataset.Add(0x0020, 0x0011, "IS", "1");
        dataset.Add(0x0020, 0x0013, "IS", "1");
        dataset.Add(0x0020, 0x0020, "CS", string.Empty);
        dataset.Add(0x0020, 0x0060, "CS", string.Empty); // dciodvfy: absent is an error, empty a warning
        dataset.AddUs(0x0028, 0x0002, 1);
        dataset.Add(0x0028, 0x0004, "CS", "MONOCHROME2");
        dataset.AddUs(0x0028, 0x0010, 2);
        dataset.AddUs(0x0028, 0x0011, 2);
        dataset.AddUs(0x0028, 0x0100, 8);
        dataset.AddUs(0x0028, 0x0101, 8);
        dataset.AddUs(0x0028, 0x0102, 7);
        dataset.AddUs(0x0028, 0x0103, 0);
        dataset.AddBinary(0x7FE0, 0x0010, "OB", [0, 64, 128, 255]);

        var meta = new ElementWriter();
        meta.AddBinary(0x0002, 0x0001, "OB", [0, 1]);
        meta.Add(0x0002, 0x0002, "UI", SecondaryCaptureSopClass);
        meta.Add(0x0002, 0x0003, "UI", sopInstanceUid);
        meta.Add(0x0002, 0x0010, "UI", ExplicitVrLittleEndian);
        meta.Add(0x0002, 0x0012, "UI", ImplementationClassUid);
        var metaBytes = meta.ToArray();

        var file = new ElementWriter();
        file.Raw(new byte[128]);
        file.Raw("DICM"u8);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)metaBytes.Length);
        file.AddBinary(0x0002, 0x0000, "UL", length.ToArray());
        file.Raw(metaBytes);
        file.Raw(dataset.ToArray());
        return file.ToArray();
    }

    private sealed class ElementWriter
    {
        private readonly MemoryStream _buffer = new();

        public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        public byte[] ToArray() => _buffer.ToArray();

        /// <summary>A text value, padded to even length (UI with NUL, the other VRs with a space).</summary>
        public void Add(ushort group, ushort element, string vr, string value)
        {
            var bytes = Encoding.ASCII.GetBytes(value);
            if (bytes.Length % 2 == 1)
            {
                bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
            }

            AddBinary(group, element, vr, bytes);
        }

        public void AddUs(ushort group, ushort element, ushort value)
        {
            var bytes = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            AddBinary(group, element, "US", bytes);
        }

        /// <summary>Explicit VR little endian: OB/OW/SQ/UN/UT have 2 reserved bytes and a 4-byte length.</summary>
        public void AddBinary(ushort group, ushort element, string vr, byte[] value)
        {
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(header, group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            if (vr is "OB" or "OW" or "SQ" or "UN" or "UT" or "UC" or "UR")
            {
                header[6] = 0;
                header[7] = 0;
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
                _buffer.Write(header);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)value.Length));
                _buffer.Write(header[..8]);
            }

            _buffer.Write(value);
        }
    }
}
