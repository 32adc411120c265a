namespace ImagingRepo.Dicom.Imaging;

/// <summary>Finds a functional group macro for a frame of a multi-frame image: the frame's own item, else the shared one.</summary>
internal static class FunctionalGroups
{
    /// <summary>The first item of <paramref name="macro"/> in the Per-Frame item of <paramref name="frame"/>, else in the Shared item; null when neither has it.</summary>
    public static DicomDataset? Find(DicomDataset dataset, int frame, DicomTag macro)
    {
        if (dataset.TryGetSequence(DicomTags.PerFrameFunctionalGroupsSequence, out var perFrame) && frame < perFrame.Items.Count
            && perFrame.Items[frame].TryGetSequence(macro, out var own) && own.Items.Count > 0)
        {
            return own.Items[0];
        }

        if (dataset.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var shared) && shared.Items.Count > 0
            && shared.Items[0].TryGetSequence(macro, out var common) && common.Items.Count > 0)
        {
            return common.Items[0];
        }

        return null;
    }
}
