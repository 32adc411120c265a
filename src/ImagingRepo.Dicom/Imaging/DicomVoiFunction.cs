namespace ImagingRepo.Dicom.Imaging;

/// <summary>The VOI LUT Function (0028,1056): how a window maps values to display intensities.</summary>
public enum DicomVoiFunction
{
    /// <summary><c>LINEAR</c> (PS3.3 C.11.2.1.2.1): the classic window, width counted from center − 0.5.</summary>
    Linear,

    /// <summary><c>LINEAR_EXACT</c> (C.11.2.1.3.2): exactly from center − width/2 to center + width/2.</summary>
    LinearExact,

    /// <summary><c>SIGMOID</c> (C.11.2.1.3.1): a logistic curve around the center.</summary>
    Sigmoid,
}
