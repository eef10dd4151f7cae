"""Adapters between the hospital's systems (DICOM Modality Worklist, HL7 v2 over MLLP) and the domain."""
