// Tests of TFNaming.
