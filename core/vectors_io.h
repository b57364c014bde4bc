#pragma once
// Word-vector files: see core/vectors/vectors.h (the formats are rows of vectorFormats()).
#include "core/vectors/vectors.h"
