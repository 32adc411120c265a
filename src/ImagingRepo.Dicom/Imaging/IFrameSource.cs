namespace ImagingRepo.Dicom.Imaging;

/// <summary>Where frames come from: the native pixel data value, or fragments and a decoder.</summary>
internal interface IFrameSource
{
    /// <summary>The frame's bytes; the caller disposes the buffer.</summary>
    /// <param name="frame">The zero-based frame index, already checked.</param>
    FrameBuffer ReadFrame(int frame);
}
