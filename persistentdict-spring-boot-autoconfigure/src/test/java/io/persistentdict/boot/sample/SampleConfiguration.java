package io.persistentdict.boot.sample;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * Stands for the application's main class: registers this package as the application's.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class SampleConfiguration {

}
