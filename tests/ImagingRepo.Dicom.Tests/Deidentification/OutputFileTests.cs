using ImagingRepo.Dicom.Infrastructure;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class OutputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("output-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_output_has_its_name_only_once_published_and_never_replaces_one(bool allowUnnamed)
    {
        var target = Path.Combine(_folder, "instance.dcm");
        using (var output = OutputFile.Create(target, allowUnnamed))
        {
            output.Append("first "u8);
            output.Append("output"u8);
            Assert.False(File.Exists(target));
            if (output.IsUnnamed)
            {
                Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
            }

            Assert.True(output.TryPublish());
        }

        using (var second = OutputFile.Create(target, allowUnnamed))
        {
            second.Append("second"u8);
            Assert.False(second.TryPublish());
        }

        Assert.Equal("first output", File.ReadAllText(target));
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(_folder));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_output_never_published_leaves_nothing_behind(bool allowUnnamed)
    {
        using (var output = OutputFile.Create(Path.Combine(_folder, "instance.dcm"), allowUnnamed))
        {
            output.AsStream().Write("half a file"u8);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [SkippableFact]
    public void On_linux_outputs_are_unnamed_files_until_published()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"), "unnamed files (O_TMPFILE) are a Linux feature named through /proc");
        using var output = OutputFile.Create(Path.Combine(_folder, "instance.dcm"));
        Assert.True(output.IsUnnamed);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unnamed_outputs_are_named_by_descriptor_or_through_proc_and_never_replace_one(bool byDescriptor)
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"), "unnamed files (O_TMPFILE) are a Linux feature");
        var target = Path.Combine(_folder, "instance.dcm");
        using (var output = OutputFile.Create(target))
        {
            output.Append("first"u8);
            Assert.True(output.TryPublish(byDescriptor));
        }

        using (var second = OutputFile.Create(target))
        {
            second.Append("second"u8);
            Assert.False(second.TryPublish(byDescriptor));
        }

        Assert.Equal("first", File.ReadAllText(target));
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(_folder));
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Naming_an_output_whose_folder_is_gone_fails_clearly(bool byDescriptor)
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"), "unnamed files (O_TMPFILE) are a Linux feature");
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "series")).FullName;
        using var output = OutputFile.Create(Path.Combine(folder, "instance.dcm"));
        output.Append("bytes"u8);
        Directory.Delete(folder);
        var error = Assert.ThrowsAny<IOException>(() => output.TryPublish(byDescriptor));
        Assert.Contains("instance.dcm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_in_a_missing_folder_fails_clearly()
    {
        var target = Path.Combine(_folder, "missing", "instance.dcm");
        Assert.ThrowsAny<IOException>(() => OutputFile.Create(target).Dispose());
    }
}
